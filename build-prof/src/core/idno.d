build-prof/src/core/idno.o: src/core/idno.c include/gltime.h \
 include/idno.h include/glmsg.h include/utf8.h
include/gltime.h:
include/idno.h:
include/glmsg.h:
include/utf8.h:
