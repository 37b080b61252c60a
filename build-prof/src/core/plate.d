build-prof/src/core/plate.o: src/core/plate.c include/plate.h \
 include/glmsg.h include/utf8.h
include/plate.h:
include/glmsg.h:
include/utf8.h:
