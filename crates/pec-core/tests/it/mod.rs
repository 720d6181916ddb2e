mod corpus;
mod hostile;
mod synthetic;
