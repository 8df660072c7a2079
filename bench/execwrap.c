/* bench/execwrap.c - variant (d) of the launch benchmark: a static program
 * that only executes the target (TARGET, fixed at build time). */
#include <unistd.h>
int main(int argc, char **argv) { (void)argc; execv(TARGET, argv); return 127; }
