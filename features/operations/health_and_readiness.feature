@allure.label.epic:Operations
Feature: Health and readiness
  The hosting platform asks the portal two questions: is the process alive, and can it serve
  people right now? The readiness answer names each thing the portal depends on and its state,
  so an operator sees at once what is wrong. It never shows a secret.

  Every dependency is listed from one registry in the portal, critical or not: without a critical
  one the portal is unavailable, without any other it still serves, degraded.

  Rule: A portal with everything it needs reports itself ready, and never shows a secret

    @fakes @allure.severity:critical
    Scenario: A fully working portal is ready
      Given the portal's newest verified backup was taken 1 hour ago
      And the portal has delivered an email
      When the platform checks whether the portal is ready
      Then the portal reports itself ready, with the database up and the email provider up
      And the readiness report shows no connection string, password or key
      And the readiness report names every dependency with its state and whether it is critical

  Rule: Without email or Mux the portal still serves, degraded; without its database it is unavailable

    @local @negative
    Scenario: A portal with no email provider configured is degraded
      Given a portal instance with no email provider configured
      When the platform checks whether that portal is ready
      Then the portal reports itself degraded, with the database up and the email provider not configured
      And the readiness report names every dependency with its state and whether it is critical

    @local @negative
    Scenario: A portal with no video service configured is degraded, not unavailable
      Given a portal instance with no Mux access token configured
      When the platform checks whether that portal is ready
      Then the portal reports itself degraded, with the database up and the video service not configured
      And the readiness report names every dependency with its state and whether it is critical

    @fakes @negative
    Scenario: A portal whose email provider cannot be reached is degraded
      Given the email provider cannot be reached
      And the portal has tried to deliver an email
      When the platform checks whether the portal is ready
      Then the portal reports itself degraded, with the database up and the email provider unreachable

    @local @negative @allure.severity:critical
    Scenario: A portal that cannot reach its database is unavailable
      Given a portal instance whose database cannot be reached
      When the platform checks whether that portal is ready
      Then the portal reports itself unavailable, with the database down
      And the readiness report shows no connection string, password or key
      And the readiness report names every dependency with its state and whether it is critical

  Rule: Every dependency is reported, and whether the portal can serve without it

    Scenario Outline: The readiness report lists <dependency> as <criticality>
      When the platform checks whether the portal is ready
      Then the readiness report lists <dependency> as <criticality>

      Examples:
        | dependency     | criticality  |
        | database       | critical     |
        | job queue      | critical     |
        | email provider | not critical |
        | worker         | not critical |
        | backup age     | not critical |
        | video service  | not critical |

  Rule: The newest verified backup is at risk after 30 hours, a warning after 36 and critical after 60; the portal still serves, degraded

    @local
    Scenario Outline: A newest backup <age> old: backups <state>, the portal <overall>
      Given the portal's newest verified backup was taken <age> ago
      When the platform checks whether the portal is ready
      Then the portal reports itself <overall>, with the backup age <state>

      Examples:
        | age      | state    | overall  |
        | 29 hours | up       | ready    |
        | 31 hours | at risk  | degraded |
        | 35 hours | at risk  | degraded |
        | 37 hours | warning  | degraded |
        | 59 hours | warning  | degraded |
        | 61 hours | critical | degraded |

    @local @negative
    Scenario: A portal with no verified backup is degraded
      When the platform checks whether the portal is ready
      Then the portal reports itself degraded, with the backup age none recorded

  Rule: A background worker that has not reported within 2 minutes makes the portal degraded

    @local
    Scenario: A worker that reported 119 seconds ago keeps the portal ready
      Given the portal's newest verified backup was taken 1 hour ago
      And the background worker last reported 119 seconds ago
      When the platform checks whether the portal is ready
      Then the portal reports itself ready, with the worker up

    @local @negative
    Scenario: A worker that has not reported for 121 seconds makes the portal degraded
      Given the portal's newest verified backup was taken 1 hour ago
      And the background worker last reported 121 seconds ago
      When the platform checks whether the portal is ready
      Then the portal reports itself degraded, with the worker not reporting

  Rule: Readiness answers from a cache of a few seconds, so a burst of probes checks each dependency once

    @local @concurrency
    Scenario: 50 probes at once make one check of each dependency, and show no secret
      Given a portal instance that keeps its readiness answer for 3 seconds
      When the platform checks whether that portal is ready 50 times at once
      Then all 50 answers report one and the same check of each dependency
      And no answer shows a connection string, a password or a string of 20 or more key characters

    @local
    Scenario Outline: Unless configured otherwise, a readiness answer is kept for 3 seconds: asked again <later> later, <outcome>
      Given a portal instance with the readiness settings it has by default, its clock standing still
      When the platform checks whether that portal is ready, and again when its clock is <later> later
      Then <outcome>

      Examples:
        | later     | outcome                                                       |
        | 2 seconds | both answers report one and the same check of each dependency |
        | 3 seconds | the second answer reports a new check of each dependency      |

  Rule: Liveness says only that the process is alive, whatever its dependencies

    @local
    Scenario: A portal without its database is still alive
      Given a portal instance whose database cannot be reached
      When the platform checks whether that portal is alive
      Then the portal answers that it is alive
