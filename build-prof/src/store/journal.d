build-prof/src/store/journal.o: src/store/journal.c include/db.h \
 include/glmsg.h include/event.h include/tube.h include/gltime.h \
 include/journal.h
include/db.h:
include/glmsg.h:
include/event.h:
include/tube.h:
include/gltime.h:
include/journal.h:
