// ZeroMQ (Debian's libzmq3-dev): the transport of the Jupyter messaging protocol.
#include <zmq.h>
