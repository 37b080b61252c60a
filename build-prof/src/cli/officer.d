build-prof/src/cli/officer.o: src/cli/officer.c include/cli.h \
 include/glmsg.h include/jws.h include/facts.h include/arena.h \
 include/query.h include/idno.h include/plate.h include/journal.h
include/cli.h:
include/glmsg.h:
include/jws.h:
include/facts.h:
include/arena.h:
include/query.h:
include/idno.h:
include/plate.h:
include/journal.h:
