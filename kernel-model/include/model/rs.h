/* RS protocol: RS_INIT carries i[0]=type, i[1]=restarts; the answer i[0]=result. */
#ifndef MODEL_RS_H
#define MODEL_RS_H
#include <model/com.h>
#endif
