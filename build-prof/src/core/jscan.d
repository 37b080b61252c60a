build-prof/src/core/jscan.o: src/core/jscan.c include/jscan.h \
 include/utf8.h
include/jscan.h:
include/utf8.h:
