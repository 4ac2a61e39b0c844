break *0xf0406000
continue
info registers
stepi
info registers eip
x/4x 0xf0406000
watch *(int*)0xf040d000
continue
info registers eip
kill
