-- A search parameter that only restates others has no index rows of its own any more (store/StoredRows):
-- Observation.patient is the subject rows that point at a Patient, combo-code the rows of code and
-- component-code, and so on; searches read the rows they restate (issue 11, $import throughput).
-- Their rows written before are dropped here. The list is the catalog's, derived from the R4
-- definitions; StoredRowsTest fails if it and this file ever differ.
DELETE FROM idx_reference WHERE (res_type, param) IN (VALUES ('Condition', 'patient'), ('DeviceRequest', 'patient'),
    ('DiagnosticReport', 'patient'), ('Encounter', 'patient'), ('Encounter', 'practitioner'),
    ('MeasureReport', 'patient'), ('MedicationAdministration', 'patient'), ('MedicationDispense', 'patient'),
    ('MedicationRequest', 'patient'), ('MedicationStatement', 'patient'), ('Observation', 'patient'),
    ('Procedure', 'patient'), ('ServiceRequest', 'patient'));
DELETE FROM idx_token WHERE (res_type, param) IN (VALUES ('Observation', 'combo-code'),
    ('Observation', 'combo-data-absent-reason'), ('Observation', 'combo-value-concept'));
DELETE FROM idx_quantity WHERE (res_type, param) IN (VALUES ('Observation', 'combo-value-quantity'));
DELETE FROM idx_composite WHERE (res_type, param) IN (VALUES ('Observation', 'combo-code-value-concept'),
    ('Observation', 'combo-code-value-quantity'));
