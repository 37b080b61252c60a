build-prof/src/store/lane.o: src/store/lane.c include/assets.h \
 include/facts.h include/arena.h include/jws.h include/glmsg.h \
 include/query.h include/idno.h include/plate.h include/gltime.h \
 include/idno.h include/lane.h include/cache.h include/decision.h \
 include/policy.h include/dynbuf.h include/journal.h include/tube.h \
 include/utf8.h
include/assets.h:
include/facts.h:
include/arena.h:
include/jws.h:
include/glmsg.h:
include/query.h:
include/idno.h:
include/plate.h:
include/gltime.h:
include/idno.h:
include/lane.h:
include/cache.h:
include/decision.h:
include/policy.h:
include/dynbuf.h:
include/journal.h:
include/tube.h:
include/utf8.h:
