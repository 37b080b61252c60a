/* version.h — the version both programs print with --version. */
#ifndef GL_VERSION_H
#define GL_VERSION_H

#define GL_VERSION "0.7.0"

#endif
