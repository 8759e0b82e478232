@allure.label.epic:Email @fakes
Feature: When an email bounces
  What happens when an email from the portal cannot be delivered, or its recipient reports it as
  spam. Resend tells the portal, and the portal protects the studio's good name with mail
  providers: it stops writing to an address that cannot, or does not want to, receive its mail.
  Such an address is suppressed. It gets no email of any kind from the portal, sign-in links
  included, until a studio admin lifts the suppression; and nobody asking for a sign-in link can
  tell from the answer that an address is suppressed.

  In short:
  - a hard bounce (the address does not exist or never accepts mail): suppressed at once;
  - a complaint (the recipient marked the email as spam): suppressed at once;
  - a soft bounce (a full mailbox, a server that is down for now): recorded; the third soft
    bounce within 30 days suppresses the address;
  - a delivery delay (Resend keeps trying): recorded, nothing more.

  Background:
    Given Ada is signed in
    And Theo has an active portal account

  Rule: A hard bounce suppresses the address at once

    @allure.severity:critical
    Scenario: An address that bounces permanently is suppressed after the first bounce
      Given Theo's sign-in email has been sent
      When Theo's email bounces permanently
      Then Ada sees Theo's address on the suppression list, because of a hard bounce

    Scenario: A hard bounce of an email another system sent through Resend suppresses the address too
      When an email to Theo that another system sent through Resend bounces permanently
      Then Ada sees Theo's address on the suppression list, because of a hard bounce

  Rule: A complaint suppresses the address at once

    @allure.severity:critical
    Scenario: An address whose owner marks the portal's email as spam is suppressed
      Given Theo's sign-in email has been sent
      When Theo marks the email as spam
      Then Ada sees Theo's address on the suppression list, because of a complaint

  Rule: A suppressed address gets no email of any kind, and asking for a sign-in link gives nothing away

    @negative @security @allure.severity:critical
    Scenario: A suppressed address gets no sign-in link, and the same answer as everyone else
      Given Theo's address has been suppressed after a hard bounce
      When Theo and Uma each ask for a sign-in link
      Then the two answers are identical
      And Theo receives no further email
      And Ada sees Theo's newest sign-in email as "suppressed"

    @negative
    Scenario: A suppressed address gets no share notification
      Given Theo's address has been suppressed after a complaint
      When a share notification for Theo is written to the outbox
      Then Theo receives no further email
      And Ada sees the share notification to Theo as "suppressed"

    @negative
    Scenario: An email waiting for its next attempt is not sent once its address is suppressed
      Given a share notification for Theo is waiting for its next attempt
      And Theo's address has since been suppressed after a hard bounce
      When the next delivery attempt falls due
      Then Theo receives no further email
      And Ada sees the share notification to Theo as "suppressed"

  Rule: Soft bounces and delivery delays are recorded; the third soft bounce within 30 days suppresses the address

    Scenario: A delivery delay is recorded and suppresses nothing
      Given Theo's sign-in email has been sent
      When Resend reports that Theo's email is delayed
      Then Ada sees the delay in the timeline of Theo's sign-in email
      And Theo's address is not suppressed

    Scenario Outline: With <earlier> soft bounces in the last 30 days, one more <outcome>
      Given Theo's address has bounced softly <earlier> times in the last 30 days
      And Theo's sign-in email has been sent
      When Theo's email bounces softly
      Then Ada sees Theo's sign-in email as "soft bounced"
      And <consequence>

      Examples: The first and the second are recorded
        | earlier | outcome     | consequence                      |
        | 0       | is recorded | Theo's address is not suppressed |
        | 1       | is recorded | Theo's address is not suppressed |

      Examples: The third suppresses the address
        | earlier | outcome                | consequence                                                                        |
        | 2       | suppresses the address | Ada sees Theo's address on the suppression list, because of repeated soft bounces |

    @negative
    Scenario: Soft bounces older than 30 days do not count
      Given Theo's address bounced softly 2 times, 31 days ago
      And Theo's sign-in email has been sent
      When Theo's email bounces softly
      Then Theo's address is not suppressed

    Scenario: A bounce Resend cannot classify counts as a soft bounce
      Given Theo's address has bounced softly 2 times in the last 30 days
      And Theo's sign-in email has been sent
      When Theo's email bounces for a reason Resend cannot determine
      Then Ada sees Theo's address on the suppression list, because of repeated soft bounces

  Rule: Admins see each suppression with its reason and the report behind it, and can lift it; lifting is audited

    Scenario: Ada sees why an address is suppressed, down to the report that caused it
      Given Theo's address has been suppressed after a hard bounce
      When Ada looks at the suppression list
      Then Ada sees Theo's address, because of a hard bounce, with the bounce report that caused it

    Scenario: Once Ada has lifted a suppression, Theo gets sign-in links again
      Given Theo's address has been suppressed after a hard bounce
      And Ada has lifted the suppression of Theo's address
      When Theo asks for a sign-in link
      Then Theo receives a new sign-in email

    Scenario: Lifting a suppression is audited, with the address masked
      Given Theo's address has been suppressed after a complaint
      When Ada lifts the suppression of Theo's address
      Then Theo's address is not suppressed
      And the audit log records that Ada lifted the suppression of "t***@brightside.example"
      And no audit entry holds Theo's full email address

    @negative
    Scenario: Lifting starts the count of soft bounces afresh
      Given Theo's address has been suppressed after 3 soft bounces
      And Ada has lifted the suppression of Theo's address
      And Theo's sign-in email has been sent
      When Theo's email bounces softly
      Then Theo's address is not suppressed

    @negative @security
    Scenario Outline: <who> can neither see nor lift suppressions
      Given Theo's address has been suppressed after a hard bounce
      When <who> tries to lift the suppression of Theo's address
      Then the portal answers <who> as if the suppression did not exist
      And Ada still sees Theo's address on the suppression list, because of a hard bounce

      Examples:
        | who     |
        | Theo    |
        | Mallory |
