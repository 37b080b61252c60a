build-prof/src/cli/check.o: src/cli/check.c include/cli.h include/glmsg.h \
 include/jws.h include/cache.h include/arena.h include/plate.h \
 include/journal.h
include/cli.h:
include/glmsg.h:
include/jws.h:
include/cache.h:
include/arena.h:
include/plate.h:
include/journal.h:
