build-prof/src/cli/import.o: src/cli/import.c include/cache.h \
 include/arena.h include/glmsg.h include/jws.h include/plate.h \
 include/cli.h include/demo.h include/gltime.h
include/cache.h:
include/arena.h:
include/glmsg.h:
include/jws.h:
include/plate.h:
include/cli.h:
include/demo.h:
include/gltime.h:
