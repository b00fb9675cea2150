-- The name a completed job's file is offered under (Content-Disposition, the status document's
-- download.filename), as the worker chose it by the shared rule (DownloadFilenames: the source's title, else its
-- own name, else the job id). Null for jobs completed before this version and for events without one: the gateway
-- then applies the rule to the source URL itself.
ALTER TABLE conversions ADD COLUMN filename text;
