build-dev/src/central/main.o: src/central/main.c include/central.h \
 include/glmsg.h include/record.h include/idno.h include/plate.h \
 include/version.h
include/central.h:
include/glmsg.h:
include/record.h:
include/idno.h:
include/plate.h:
include/version.h:
