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
      Given the portal has delivered an email
      When the platform checks whether the portal is ready
      Then the portal reports itself ready, with the database up and the email provider up
      And the readiness report shows no connection string, password or key
      And the readiness report names every dependency with its state and whether it is critical

  Rule: Without email the portal still serves, degraded; without its database it is unavailable

    @local @negative
    Scenario: A portal with no email provider configured is degraded
      Given a portal instance with no email provider configured
      When the platform checks whether that portal is ready
      Then the portal reports itself degraded, with the database up and the email provider not configured
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

  Rule: Liveness says only that the process is alive, whatever its dependencies

    @local
    Scenario: A portal without its database is still alive
      Given a portal instance whose database cannot be reached
      When the platform checks whether that portal is alive
      Then the portal answers that it is alive
