build-prof/src/core/utf8.o: src/core/utf8.c include/utf8.h
include/utf8.h:
