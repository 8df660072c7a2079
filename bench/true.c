/* bench/true.c - the trivial launch target: exit 0 at once (built static). */
int main(void)
{
	return 0;
}
