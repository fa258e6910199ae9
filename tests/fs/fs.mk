# Tests of the file system components: each tests/fs/<fs>/*.mk fragment.
-include $(sort $(wildcard tests/fs/*/*.mk))
