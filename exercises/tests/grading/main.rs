//! The exercises' tests, a module each, in one test binary (cargo runs binaries one after
//! another, the tests of one binary side by side): every grader against every shipped file, each
//! exercise's pages in the book, and (ignored, for `.ci/run`) a learner's session.

mod book;
mod graders;
mod session;
