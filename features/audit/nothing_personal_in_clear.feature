@allure.label.epic:Audit
Feature: Nothing personal kept in clear
  What the portal keeps for long (its log, the audit log, Resend's reports, the emails it has sent)
  holds no email address in clear, no network address and no key that still opens something. An
  operator reading any of them learns what happened, not how to reach a person or get in.

  Background:
    Given Brightside Agency has the cut "Harbour Lights", version 3
    And Theo has shared the cut with Gina

  Rule: The portal's log names the route a request took, never the key in its address

    @security @allure.severity:critical
    Scenario Outline: Gina <request>: the log shows the route and no part of the link's key
      When Gina <request>
      Then the portal's log of that request names its route and holds no part of the link's key

      Examples:
        | request               |
        | opens the share link  |
        | starts the video      |
        | downloads the cut     |

    @security
    Scenario: A page under the link that does not exist: the log shows the address with the key masked
      When Gina asks for a page under her link that does not exist
      Then the portal's log of that request holds no part of the link's key

  Rule: After a day's work, nothing the portal keeps holds an email address, a network address or a live key

    @security @fakes @allure.severity:critical
    Scenario: An operator scans everything the portal kept from a day's work and finds nothing personal in clear
      Given Theo has signed in with the link from his email
      And Resend has reported that Theo's email was delivered
      And Gina has opened the link Theo shared with her
      And Theo has given Pia a task, and the email about it has gone out
      And Uma, who has no account, has asked for a sign-in link
      When an operator scans the audit log, Resend's stored reports, the emails sent and the portal's log
      Then the operator finds no email address, network address or live key in clear
