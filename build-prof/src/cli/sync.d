build-prof/src/cli/sync.o: src/cli/sync.c include/cli.h include/glmsg.h \
 include/jws.h include/sync.h include/journal.h
include/cli.h:
include/glmsg.h:
include/jws.h:
include/sync.h:
include/journal.h:
