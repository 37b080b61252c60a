build/src/cli/env.o: src/cli/env.c include/cli.h include/glmsg.h \
 include/gltime.h include/tui.h
include/cli.h:
include/glmsg.h:
include/gltime.h:
include/tui.h:
