-- Access keys of the HTTPS API. The secret is sealed with AES-GCM under a key derived from the node secret
-- (nonce || ciphertext+tag, base64), bound to its access key id as associated data.
CREATE TABLE api_access_keys (
    access_key_id VARCHAR(20)  NOT NULL PRIMARY KEY,
    name          VARCHAR(128) NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    secret_sealed VARCHAR(128) NOT NULL,
    created_at    BIGINT       NOT NULL
);
