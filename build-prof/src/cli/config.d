build-prof/src/cli/config.o: src/cli/config.c include/cli.h \
 include/glmsg.h include/jws.h include/jws.h include/tube.h \
 include/utf8.h
include/cli.h:
include/glmsg.h:
include/jws.h:
include/jws.h:
include/tube.h:
include/utf8.h:
