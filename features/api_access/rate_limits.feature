@allure.label.epic:API @local
Feature: The JSON API's rate limits
  Each API key, each session and each anonymous network may make 60 requests a minute to the JSON
  API (the number is a setting). The 61st is refused as too many requests and told when to come
  back; every answer says what the limit is and how much of it is left (the IETF RateLimit fields).
  The minute starts with a caller's first request, and the count starts afresh once it is over.
  Every portal process counts against the same budget. The health probes are never limited; the
  guests' pages and sign-in links keep limits of their own.

  Background:
    Given the portal allows 60 API requests a minute

  Rule: The 60th request of a minute goes through; the 61st is refused and told when to come back

    @allure.severity:critical
    Scenario Outline: <caller>'s 60th request within a minute goes through, with nothing left
      Given <caller> has made 59 requests to the API within the last minute
      When <caller> makes one more request
      Then the request goes through, with 0 requests left this minute

      Examples:
        | caller         |
        | Theo's system  |
        | Theo's browser |
        | Uma's browser  |

    @negative @allure.severity:critical
    Scenario Outline: <caller>'s 61st request within a minute is refused and told when to come back
      Given <caller> has made 60 requests to the API within the last minute
      When <caller> makes one more request
      Then the request is refused as too many, and told to come back when the minute is over

      Examples:
        | caller         |
        | Theo's system  |
        | Theo's browser |
        | Uma's browser  |

    Scenario: Each caller has a budget of its own: Theo's browser still goes through when his system's is spent
      Given Theo's system has made 60 requests to the API within the last minute
      When Theo's browser makes one more request
      Then the request goes through

  Rule: The count starts afresh once the minute that began with the first request is over

    Scenario Outline: 60 requests, the first <age> ago: the next <outcome>
      Given Theo's system has made 60 requests to the API, the first of them <age> ago
      When Theo's system makes one more request
      Then <outcome>

      Examples:
        | age        | outcome                                                                |
        | 59 seconds | the request is refused as too many, and told to come back when the minute is over |
        | 61 seconds | the request goes through, with 59 requests left this minute            |

  Rule: Every portal process counts against the same budget

    @concurrency
    Scenario: 30 requests to each of two portal processes spend Theo's system's minute
      Given a second portal process serves the same database
      And Theo's system has made 30 requests to each portal process within the last minute
      When Theo's system makes one more request to the second portal process
      Then the request is refused as too many, and told to come back when the minute is over

  Rule: The health probes are never limited

    Scenario: Uma's monitor checks the portal's health and readiness 70 times each within a minute
      When Uma's monitor checks the portal's health and readiness 70 times each
      Then every check is answered

  Rule: The rate-window sweep removes the windows that are over, and only those

    Scenario: The sweep removes Theo's system's window that is over, and keeps Uma's
      Given Theo's system has made 5 requests to the API, the first of them 2 minutes ago
      And Uma's browser has made 5 requests to the API within the last minute
      When Ada runs the rate-window sweep
      Then the sweep removed 1 window that was over
      And Uma's browser's next request finds 54 requests left this minute
