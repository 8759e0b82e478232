@allure.label.epic:Email @fakes
Feature: Reports from Resend
  Resend, the email provider, reports what becomes of every email it takes from the portal:
  sent, delivered, delayed, bounced, marked as spam, and more. The reports arrive as webhooks,
  signed with a secret that only Resend and the portal know. The portal believes a report only
  when its signature is right and fresh, acts on each report once however often it arrives,
  never lets a late report turn an email's status back, and keeps every report in the email's
  timeline.

  Background:
    Given Ada is signed in
    And Theo's sign-in email has been sent

  Rule: Only reports signed by Resend, within 5 minutes of sending, are believed

    @allure.severity:critical
    Scenario: A report signed by Resend is accepted
      When Resend reports that Theo's email was delivered
      Then the portal acknowledges the report
      And Ada sees Theo's sign-in email as "delivered"

    @negative @security @allure.severity:critical
    Scenario Outline: A bounce report <problem> is refused and changes nothing
      When Mallory sends a report that Theo's email bounced, <problem>
      Then the portal refuses the report
      And Ada sees Theo's sign-in email still as "sent", with no report in its timeline
      And Theo's address is not suppressed

      Examples:
        | problem                                         |
        | without a signature                             |
        | signed with a secret of her own                 |
        | with a signature that is not well formed        |
        | with a signature in an unknown scheme           |
        | whose body she changed after Resend signed it   |
        | whose message id she changed after signing      |
        | that Resend signed 6 minutes ago                |
        | dated 6 minutes in the future                   |
        | without a message id                            |
        | without a timestamp                             |
        | with a timestamp that is not a number           |

    Scenario Outline: A report signed <when> is within the 5 minutes and accepted
      When Resend reports that Theo's email was delivered, in a report signed <when>
      Then the portal acknowledges the report
      And Ada sees Theo's sign-in email as "delivered"

      Examples:
        | when                  |
        | 4 minutes ago         |
        | 4 minutes from now    |

    @security
    Scenario: During a change of secret, a report that carries the current signature among others is accepted
      When Resend reports that Theo's email was delivered, signed with both a retired secret and the current one
      Then the portal acknowledges the report
      And Ada sees Theo's sign-in email as "delivered"

  Rule: Every kind of email report Resend sends is either acted on or explicitly acknowledged

    @registry @allure.severity:critical
    Scenario Outline: A report of <event> is <handling>
      When Resend reports "<event>" about Theo's email
      Then the portal acknowledges the report
      And the portal records the report as <handling>
      And Ada sees Theo's sign-in email as "<status>"

      Examples:
        | event                  | handling     | status           |
        | email.sent             | applied      | sent             |
        | email.scheduled        | acknowledged | sent             |
        | email.delivered        | applied      | delivered        |
        | email.delivery_delayed | applied      | delivery delayed |
        | email.complained       | applied      | complained       |
        | email.bounced          | applied      | bounced          |
        | email.opened           | acknowledged | sent             |
        | email.clicked          | acknowledged | sent             |
        | email.received         | acknowledged | sent             |
        | email.failed           | applied      | failed           |
        | email.suppressed       | applied      | suppressed       |

  Rule: A report delivered again is acknowledged, and has no second effect

    @negative
    Scenario: A bounce report delivered twice appears once
      Given Resend has reported that Theo's email bounced permanently
      When Resend delivers the same report again
      Then the portal acknowledges the report
      And Ada sees the bounce exactly once in the timeline of Theo's sign-in email

    @negative
    Scenario: A soft bounce reported twice counts once towards suppression
      Given Theo's address has bounced softly 2 times in the last 30 days
      When Resend delivers the report of the last soft bounce again
      Then the portal acknowledges the report
      And Theo's address is not suppressed

  Rule: An email's status only moves forward, whatever order the reports arrive in; every report is kept

    @negative @allure.severity:critical
    Scenario: A delivery reported after a bounce leaves the email bounced
      Given Resend has reported that Theo's email bounced permanently
      When Resend reports that Theo's email was delivered
      Then Ada sees Theo's sign-in email as "bounced"
      And its timeline keeps the delivery report, as superseded

    @negative
    Scenario: Reports that arrive out of order end in the right status
      Given Resend has reported that Theo's email was delivered
      When Resend reports, late, that Theo's email was sent
      Then Ada sees Theo's sign-in email as "delivered"
      And its timeline keeps the report that it was sent, as superseded

    @negative
    Scenario: Of two reports of equal weight, the one about the later event wins, whatever the order of arrival
      Given Resend has reported that Theo's email bounced softly 2 minutes ago
      When Resend reports, late, that Theo's email was delayed 5 minutes ago
      Then Ada sees Theo's sign-in email as "soft bounced"
      And its timeline keeps the delay report, as superseded

    @negative
    Scenario Outline: Between a delay and a soft bounce, the later event wins, in both orders of arrival: <first>, then <then>
      Given Resend has reported that Theo's email <first>
      When Resend reports that Theo's email <then>
      Then Ada sees Theo's sign-in email as "<status>"

      Examples:
        | first                        | then                         | status           |
        | bounced softly 2 minutes ago | was delayed 5 minutes ago    | soft bounced     |
        | was delayed 5 minutes ago    | bounced softly 2 minutes ago | soft bounced     |
        | bounced softly 5 minutes ago | was delayed 2 minutes ago    | delivery delayed |
        | was delayed 2 minutes ago    | bounced softly 5 minutes ago | delivery delayed |

    @negative
    Scenario: A report that overtakes the portal's own record of the send still counts
      Given Resend has reported that Theo's next email was delivered, before the portal recorded sending it
      When Theo's next sign-in email goes out
      Then Ada sees Theo's newest sign-in email as "delivered"
      And its timeline keeps the delivery report, as applied

  Rule: A report the portal cannot read is refused with a clear error; a kind it does not act on is acknowledged and recorded as ignored

    @negative
    Scenario: A signed report whose body is not JSON is refused
      When Resend sends a signed report about Theo's email whose body is not JSON
      Then the portal rejects the report as "malformed_json"
      And Ada sees Theo's sign-in email still as "sent", with no report in its timeline

    @negative
    Scenario Outline: A signed report with <problem> is refused, naming <field>
      When Resend sends a signed report about Theo's email with <problem>
      Then the portal rejects the report as "invalid_webhook", naming "<field>"
      And Ada sees Theo's sign-in email still as "sent", with no report in its timeline

      Examples:
        | problem                           | field            |
        | a list instead of an object       | body             |
        | no event type                     | type             |
        | no event time                     | created_at       |
        | an event time that is not a time  | created_at       |
        | no data                           | data             |
        | no email id                       | data.email_id    |
        | a bounce without a recipient      | data.to          |
        | a bounce without its bounce type  | data.bounce.type |
        | an event time in the year 1            | created_at          |
        | a NUL character in the bounce message  | data.bounce.message |
        | half a character in the subject        | data.subject        |
        | tags nested 30,000 levels deep         | body                |

    Scenario Outline: A report about <subject> is acknowledged and recorded as ignored
      When Resend reports "<event>"
      Then the portal acknowledges the report
      And the portal records the report as ignored

      Examples: Other kinds of Resend events
        | subject                        | event             |
        | a new contact                  | contact.created   |
        | a change to the sending domain | domain.updated    |
        | a contact removed from a list  | contact.deleted   |

      Examples: Kinds of email report Resend may add later
        | subject                        | event             |
        | an email event not known yet   | email.forwarded   |

  Rule: A report that carries a sign-in link keeps its key nowhere, however the link is spelled

    @security @negative
    Scenario Outline: A click report carrying Theo's sign-in link <spelling> keeps its key nowhere
      When Resend reports that Theo clicked the link in his sign-in email, <spelling>
      Then the portal acknowledges the report
      And the key of Theo's sign-in link is kept nowhere in the portal

      Examples:
        | spelling                                            |
        | as it was sent                                      |
        | percent-encoded inside a tracking address           |
        | with its ampersand written for HTML                 |
        | with an encoded ampersand inside a tracking address |

  Rule: A report is about an event of the last 30 days, or of the next hour at most; any other time cannot be right
    Resend retries a report for days, never for a month, and its clock is not an hour ahead of the
    portal's. The time of an event decides which of two reports wins, so an impossible one is refused.

    Scenario Outline: A report about an event <when> is accepted
      When Resend reports that Theo's email was delivered <when>
      Then the portal acknowledges the report
      And Ada sees Theo's sign-in email as "delivered"

      Examples:
        | when                          |
        | 29 days and 23 hours ago      |
        | 59 minutes from now           |

    @negative
    Scenario Outline: A report about an event <when> is refused, naming its time
      When Resend reports that Theo's email was delivered <when>
      Then the portal rejects the report as "invalid_webhook", naming "created_at"
      And Ada sees Theo's sign-in email still as "sent", with no report in its timeline

      Examples:
        | when                          |
        | 30 days and 1 hour ago        |
        | 61 minutes from now           |
