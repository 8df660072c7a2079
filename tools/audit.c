/* fcgi-suexec-audit - placeholder until the audit tool lands. */
#include <stdio.h>

#include "policy.h"

int main(void)
{
	fprintf(stderr, "fcgi-suexec-audit: not written yet (DOCROOT=%s)\n", DOCROOT);
	return EX_SYSTEM;
}
