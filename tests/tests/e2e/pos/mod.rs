//! Point of sale: the CSV pipeline, jobs and their workers, and the live connectors against the
//! simulator.

mod jobs;
mod live;
mod pipeline;
