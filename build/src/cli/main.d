build/src/cli/main.o: src/cli/main.c include/cli.h include/glmsg.h
include/cli.h:
include/glmsg.h:
