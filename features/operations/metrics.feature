@allure.label.epic:Operations
Feature: Metrics for the monitoring system
  The studio's monitoring system reads the portal's metrics: requests by route and status, how
  long they took, background jobs by kind and outcome, dead letters, and emails by status. Only
  the portal's own network, or whoever holds the metrics token, may read them; to anyone else
  the address does not exist. The metrics name a route by its template, never by an address that
  may hold a key.

  Rule: Only the portal's own network or the metrics token reads the metrics; to anyone else they do not exist

    @local @security
    Scenario Outline: The monitoring system reads the metrics <how>
      When the monitoring system <how> asks for the portal's metrics
      Then the answer is the portal's metrics, in the Prometheus text format, outside the API's budget

      Examples:
        | how                                |
        | on the portal's own network        |
        | from outside, with the metrics token |

    @local @security @negative
    Scenario Outline: <who> finds no metrics
      When <who> asks for the portal's metrics
      Then the answer is the portal's plain not found, the same as for an address that does not exist

      Examples:
        | who                                                         |
        | someone from outside, without a token                       |
        | someone from outside, with a wrong metrics token            |
        | someone from outside, with the metrics token cut short      |
        | someone from outside, with the metrics token in another scheme |
        | Ada, a studio admin signed in, from outside                 |
        | Mallory, signed in, from outside                            |
        | Theo's system with its API key, from outside                |

  Rule: The metrics count requests by route template, jobs by kind and outcome, dead letters and emails by status

    @local @security
    Scenario: A request is counted by its route's template, never by an address holding a key
      Given the monitoring system has read the portal's metrics
      When someone asks for a share page whose address holds a key, and for an address that does not exist holding one
      Then the metrics count one more "GET /s/{token}" answered 404, with its time in seconds in the latency histogram
      And the metrics count one more "GET (unmatched)" answered 404, with its time in seconds in the latency histogram
      And no metric names the key

    @local
    Scenario: A job that succeeds is counted as done
      Given the monitoring system has read the portal's metrics
      When Theo asks for a sign-in link
      Then the metrics count 1 more job of the kind "issue_sign_in_link" done, and none retried

    @local @negative
    Scenario: A job that keeps failing is counted at every attempt, and as a dead letter
      Given the monitoring system has read the portal's metrics
      And a job of the kind "no.such-kind" that fails every time
      When the background worker has tried the job 5 times, each retry brought forward
      Then the metrics count 4 more retried and 1 more dead-lettered job of an unknown kind, and 1 more dead letter among jobs

    @local @fakes
    Scenario: Emails are counted by status
      Given the portal has delivered an email
      Then the metrics count the emails by status, as the outbox holds them
