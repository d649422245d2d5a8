"""The sandbox payment gateway: a stand-in for 微信支付/支付宝's servers, with its own tables, cashier page,
asynchronous signed notifications (retried with backoff), asynchronous refunds and fault injection.
It never reads the payments app's tables: like a real gateway it knows only trade numbers and a notify
target."""
