mod build;
mod hostile;
mod oracle;
mod real;
mod support;
mod synthetic;
mod tampered;
