-- Organizations: the tenant every other table belongs to.
CREATE TABLE organizations (
    id          uuid                     NOT NULL,
    name        character varying(100)   NOT NULL,
    time_zone   character varying(64)    NOT NULL,
    created_at  timestamp with time zone NOT NULL,
    updated_at  timestamp with time zone NOT NULL,
    CONSTRAINT pk_organizations PRIMARY KEY (id)
);
