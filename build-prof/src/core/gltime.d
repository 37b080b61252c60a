build-prof/src/core/gltime.o: src/core/gltime.c include/gltime.h
include/gltime.h:
