mod corpus;
mod evidence;
mod hostile;
mod oracle;
mod signature;
mod synthetic;
