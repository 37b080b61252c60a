build-dev/src/central/store/store.o: src/central/store/store.c \
 src/central/store/backend.h include/event.h include/glmsg.h \
 include/tube.h include/glmsg.h include/central_db.h include/journal.h \
 include/record.h include/idno.h include/plate.h include/utf8.h
src/central/store/backend.h:
include/event.h:
include/glmsg.h:
include/tube.h:
include/glmsg.h:
include/central_db.h:
include/journal.h:
include/record.h:
include/idno.h:
include/plate.h:
include/utf8.h:
