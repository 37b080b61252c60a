build-prof/src/cli/main.o: src/cli/main.c include/cli.h include/glmsg.h \
 include/jws.h include/version.h
include/cli.h:
include/glmsg.h:
include/jws.h:
include/version.h:
