#define GL_LOCALEDIR "/usr/local/share/locale"
