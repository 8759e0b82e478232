@allure.label.epic:Operations
Feature: Errors in the portal's log
  When the portal cannot answer (a failure on its side, a 5xx answer), it writes one line to its
  log that a log search reads as data: a JSON object with the request's id (the one the answer
  carries in X-Request-ID, which a person quotes when they report the problem), the route, the
  status and, for a failure in the portal's code, what failed. It never holds a secret.

  Rule: Every 5xx answer is one JSON line in the log, found by the request id the answer carries

    @local @negative
    Scenario: An unavailable portal's failed answer is logged as one JSON line with its request id
      Given a portal instance whose database cannot be reached
      When the platform checks whether that portal is ready
      Then the portal's log holds that answer as one JSON line with its request id, route and status
      And the portal's log of that request shows no connection string or password

  Rule: A failure in the portal's own code is answered as one, in the standard error shape, and logged with what failed

    @local @negative
    Scenario: A portal whose database account may read none of its tables says it failed, and logs what failed
      Given a portal instance whose database account may read none of the portal's tables
      When the platform asks that portal for the list of projects
      Then that portal answers "internal_error" in the standard error shape, with the request id to quote
      And the portal's log holds that answer as one JSON line with its request id, route, status and what failed
      And the portal's log of that request shows no connection string or password

  Rule: Only a failure on the portal's side writes an error line; a refusal or an address not found does not

    @local
    Scenario Outline: <answer> is no failure of the portal's, and writes no error line
      Given Ada is signed in
      When Ada gets <answer>
      Then the answer is the one expected of it
      And the portal's log holds that answer, and no error line for it

      Examples:
        | answer                         |
        | the list of projects           |
        | an address that does not exist |
        | a body that is not valid JSON  |
