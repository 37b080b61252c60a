build-prof/src/core/demo.o: src/core/demo.c include/assets.h \
 include/demo.h include/gltime.h include/idno.h include/glmsg.h \
 include/jws.h include/policy.h include/dynbuf.h include/idno.h
include/assets.h:
include/demo.h:
include/gltime.h:
include/idno.h:
include/glmsg.h:
include/jws.h:
include/policy.h:
include/dynbuf.h:
include/idno.h:
