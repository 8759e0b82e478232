@allure.label.epic:Operations
Feature: Starting the portal from the command line
  The hosting platform runs the portal as `python -m portal` with a command (serve, migrate or
  worker) and the settings in its environment. Migrating applies the migrations a database has not
  seen yet. A setting the portal cannot use stops it at once, before anything starts, with a message
  that names the setting, so that a mistake in the configuration never becomes a half-working portal.

  Rule: Migrating applies every pending migration, and a second run finds none pending

    @local
    Scenario: Migrating an empty database applies every migration, and migrating again applies none
      Given an empty database
      When the operator runs the migrate command
      Then the command reports every migration of the portal as applied
      When the operator runs the migrate command again
      Then the command reports none pending

  Rule: A setting the portal cannot use stops it before it starts, naming the setting

    @negative @local
    Scenario Outline: Starting the portal with <setting> stops it with a configuration error
      When the operator starts the portal with <setting>
      Then the portal stops at once with a configuration error saying "<message>"

      Examples:
        | setting                                        | message                                                       |
        | no DATABASE_URL                                | DATABASE_URL is not set                                       |
        | a secret key of 31 characters                  | PORTAL_SECRET_KEY must be at least 32 characters              |
        | a body limit of 1023 bytes                     | PORTAL_MAX_BODY_BYTES must be at least 1024, got 1023         |
        | a body limit of a lot                          | PORTAL_MAX_BODY_BYTES must be a whole number, got 'a lot'     |
        | a pool of at least 5 and at most 2 connections | PORTAL_DB_POOL_MIN (5) must not exceed PORTAL_DB_POOL_MAX (2) |
        | the time zone "Mars/Olympus"                   | PORTAL_TIME_ZONE must be a time zone name                     |
        | a webhook secret without "whsec_"              | RESEND_WEBHOOK_SECRET must be the webhook's signing secret    |
        | the worker switch "maybe"                      | PORTAL_WORKER must be true or false, got 'maybe'              |
        | a readiness timeout of 0 seconds               | PORTAL_READINESS_TIMEOUT_SECONDS must be more than 0, got 0.0 |
        | password hashing with 4 lanes in 31 kibibytes  | PORTAL_PASSWORD_HASH_MEMORY_KIB must be at least 8 per lane   |
        | a heartbeat of 10 seconds, polling every 10    | PORTAL_WORKER_HEARTBEAT_SECONDS (10) must be more than        |
        | a Mux upload timeout of 59 seconds             | PORTAL_MUX_UPLOAD_TIMEOUT_SECONDS must be at least 60, got 59 |

    @local
    Scenario Outline: A setting right at its limit is accepted: <setting>
      Given an empty database
      When the operator migrates the empty database with <setting>
      Then the command reports every migration of the portal as applied

      Examples:
        | setting                                        |
        | a body limit of 1024 bytes                     |
        | a secret key of 32 characters                  |
        | a pool of at least 2 and at most 2 connections |
        | password hashing with 4 lanes in 32 kibibytes  |
        | a heartbeat of 11 seconds, polling every 10    |
        | a Mux upload timeout of 60 seconds             |

  Rule: The portal logs plain text for a person at a terminal, or one JSON object a line for a log search

    @local
    Scenario Outline: Migrating with the log format "<format>" logs each migration as <shape>
      Given an empty database
      When the operator migrates the empty database, logging in the format "<format>"
      Then each migration it applied is logged as <shape>

      Examples:
        | format | shape                                  |
        | text   | plain text naming its level and logger |
        | json   | one JSON object                        |
