build-prof/src/core/tube.o: src/core/tube.c include/idno.h \
 include/glmsg.h include/query.h include/idno.h include/plate.h \
 include/tube.h include/utf8.h
include/idno.h:
include/glmsg.h:
include/query.h:
include/idno.h:
include/plate.h:
include/tube.h:
include/utf8.h:
