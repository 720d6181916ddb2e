mod corpus;
mod evidence;
mod forgery;
mod hostile;
mod oracle;
mod signature;
mod signing_time;
mod synthetic;
