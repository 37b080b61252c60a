build-prof/src/core/arena.o: src/core/arena.c include/arena.h \
 include/jscan.h
include/arena.h:
include/jscan.h:
