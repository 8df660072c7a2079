#!/bin/sh
# Unit tests of policy.c, built by make check as build/unit/unit.
exec "$(dirname "$0")/../build/unit/unit"
