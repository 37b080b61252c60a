build-dev/src/central/request.o: src/central/request.c include/central.h \
 include/glmsg.h include/record.h include/idno.h include/plate.h \
 include/jscan.h include/utf8.h
include/central.h:
include/glmsg.h:
include/record.h:
include/idno.h:
include/plate.h:
include/jscan.h:
include/utf8.h:
