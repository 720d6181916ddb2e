mod corpus;
mod hostile;
mod signature;
mod synthetic;
