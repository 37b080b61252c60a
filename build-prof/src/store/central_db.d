build-prof/src/store/central_db.o: src/store/central_db.c \
 include/central_db.h include/glmsg.h include/db.h include/event.h \
 include/tube.h include/journal.h include/record.h include/idno.h \
 include/plate.h include/utf8.h
include/central_db.h:
include/glmsg.h:
include/db.h:
include/event.h:
include/tube.h:
include/journal.h:
include/record.h:
include/idno.h:
include/plate.h:
include/utf8.h:
