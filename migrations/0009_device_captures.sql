-- Daily capture counts of the electronic-monitoring devices, per device, Beijing day and violation
-- code: what the device detectors (D-DEVICE-SPIKE, -NEW-HIGH, -CODES, -FREIGHT) and the console's
-- device charts read, instead of counting enforcement_records again on every run. The intake adds
-- each batch's stored camera records in its own transaction (one upsert per batch), so a count is
-- exactly the number of stored camera records with that device, day and code: a re-sent record
-- is not stored again and is not counted again. Every outcome counts (held, merged, voided too):
-- the figure is what the device captured, not what was fined.

CREATE TABLE device_daily_captures (
  device_id text NOT NULL,
  -- Beijing calendar day of the capture (UTC+8, no daylight saving)
  day date NOT NULL,
  violation_code text NOT NULL,
  captures integer NOT NULL CHECK (captures >= 0),
  -- of which by freight vehicles (enforcement_records.freight)
  freight_captures integer NOT NULL CHECK (freight_captures >= 0 AND freight_captures <= captures),
  PRIMARY KEY (device_id, day, violation_code)
);
-- the detectors' and the device list's range scans over every device
CREATE INDEX device_daily_captures_day ON device_daily_captures (day);

-- An installation upgraded with records already stored starts from their counts (one statement).
INSERT INTO device_daily_captures (device_id, day, violation_code, captures, freight_captures)
SELECT device_id, ((occurred_at AT TIME ZONE 'UTC') + interval '8 hours')::date, violation_code,
       count(*)::int, (count(*) FILTER (WHERE freight))::int
  FROM enforcement_records
 WHERE kind = 'camera' AND device_id IS NOT NULL
 GROUP BY 1, 2, 3;
