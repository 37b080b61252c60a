build-prof/src/cli/verify.o: src/cli/verify.c include/cli.h \
 include/glmsg.h include/jws.h include/facts.h include/arena.h \
 include/query.h include/idno.h include/plate.h include/gltime.h \
 include/journal.h include/lane.h include/cache.h include/decision.h \
 include/policy.h include/dynbuf.h include/journal.h include/words.h
include/cli.h:
include/glmsg.h:
include/jws.h:
include/facts.h:
include/arena.h:
include/query.h:
include/idno.h:
include/plate.h:
include/gltime.h:
include/journal.h:
include/lane.h:
include/cache.h:
include/decision.h:
include/policy.h:
include/dynbuf.h:
include/journal.h:
include/words.h:
