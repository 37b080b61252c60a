build-dev/src/central/bureau.o: src/central/bureau.c include/bureau.h \
 include/glmsg.h include/record.h include/idno.h include/plate.h \
 include/idno.h include/plate.h include/utf8.h
include/bureau.h:
include/glmsg.h:
include/record.h:
include/idno.h:
include/plate.h:
include/idno.h:
include/plate.h:
include/utf8.h:
